/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-bulk-run-private.h"
#include "oip-error.h"
#include "oip-push-plan.h"
#include "oip-url.h"

/* Planning a bulk run: nothing is sent. Every product is looked up in
 * batches, its images are checked as a single push checks them, its
 * local files are sized, and the account's quota is read. */

typedef struct
{
  OipBulkRun *run;
  guint       pending;
  GError     *error;
  GHashTable *found[3];     /* per OipProductKey: identifier → OipProduct */
  GPtrArray  *files;        /* file:// URIs to size */
  GHashTable *sizes;        /* URI → guint64 *, NULL for unreadable */
  guint       next_file;
} Plan;

static void
plan_free (Plan *plan)
{
  for (guint i = 0; i < G_N_ELEMENTS (plan->found); i++)
    g_clear_pointer (&plan->found[i], g_hash_table_unref);
  g_clear_pointer (&plan->files, g_ptr_array_unref);
  g_clear_pointer (&plan->sizes, g_hash_table_unref);
  g_clear_error (&plan->error);
  g_object_unref (plan->run);
  g_free (plan);
}


static void
finish (Plan   *plan,
        GError *error)
{
  OipBulkRun *run = plan->run;

  if (error == NULL)
    {
      run->planned = TRUE;
      oip_bulk_run_set_stage (run, OIP_BULK_STAGE_REVIEW);
    }
  else
    oip_bulk_run_set_stage (run, run->planned ? OIP_BULK_STAGE_REVIEW : OIP_BULK_STAGE_IDLE);
  oip_bulk_run_recount (run);
  oip_bulk_run_return (run, error);
  plan_free (plan);
}

/* Totals for the review */

static void
count_totals (OipBulkRun *run,
              GHashTable *sizes)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  run->n_images = 0;
  run->n_local_files = 0;
  run->local_bytes = 0;
  for (guint i = 0; i < oip_bulk_run_n_items (run); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (run, i);

      if (item->state != OIP_BULK_ITEM_PLANNED && item->state != OIP_BULK_ITEM_QUEUED)
        continue;
      run->n_images += item->sent_items->len;
      if (sizes != NULL)
        item->local_bytes = 0;
      for (guint j = 0; item->local_files != NULL && item->local_files[j] != NULL; j++)
        {
          guint64 *size = sizes ? g_hash_table_lookup (sizes, item->local_files[j]) : NULL;

          if (size != NULL)
            item->local_bytes += *size;
          if (g_hash_table_add (seen, item->local_files[j]))
            {
              run->n_local_files++;
              run->local_bytes += size ? *size : 0;
            }
        }
    }
}

/* Local files */

static void size_next_file (Plan *plan);

static void
mark_unreadable (OipBulkRun *run,
                 const char *uri,
                 const char *reason)
{
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *text = g_strdup_printf (_("Could not read %s: %s"), path ? path : uri, reason);

  for (guint i = 0; i < oip_bulk_run_n_items (run); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (run, i);

      if (item->state == OIP_BULK_ITEM_PLANNED && item->local_files != NULL &&
          g_strv_contains ((const char * const *) item->local_files, uri))
        {
          oip_bulk_item_add_problem (item, text);
          oip_bulk_item_set_state (item, OIP_BULK_ITEM_INVALID, "io", text, NULL);
        }
    }
}

static void
on_file_info (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Plan *plan = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);
  const char *uri = g_ptr_array_index (plan->files, plan->next_file - 1);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish (plan, g_steal_pointer (&error));
      return;
    }
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
    {
      guint64 size = (guint64) g_file_info_get_size (info);

      g_hash_table_insert (plan->sizes, (gpointer) uri, g_memdup2 (&size, sizeof size));
    }
  else
    mark_unreadable (plan->run, uri, error ? error->message : _("not a regular file"));
  size_next_file (plan);
}

static void
size_next_file (Plan *plan)
{
  g_autoptr(GFile) file = NULL;

  if (plan->next_file >= plan->files->len)
    {
      count_totals (plan->run, plan->sizes);
      finish (plan, NULL);
      return;
    }
  file = g_file_new_for_uri (g_ptr_array_index (plan->files, plan->next_file++));
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, g_task_get_cancellable (plan->run->task),
                           on_file_info, plan);
}

static void
size_files (Plan *plan)
{
  OipBulkRun *run = plan->run;

  plan->files = g_ptr_array_new ();
  plan->sizes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < oip_bulk_run_n_items (run); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (run, i);

      for (guint j = 0; item->state == OIP_BULK_ITEM_PLANNED && item->local_files[j] != NULL; j++)
        if (!g_ptr_array_find_with_equal_func (plan->files, item->local_files[j], g_str_equal, NULL))
          g_ptr_array_add (plan->files, item->local_files[j]);
    }
  size_next_file (plan);
}

/* Each product's plan */

static OipPushPlan *
push_plan (OipBulkRun  *run,
           OipBulkItem *item)
{
  g_autoptr(OipPushRequest) request = oip_push_request_new ();

  request->product_id = item->product_id;
  for (guint i = 0; item->given_images != NULL && item->given_images[i] != NULL; i++)
    g_ptr_array_add (request->images, g_strdup (item->given_images[i]));
  if (item->given_color != NULL)
    g_ptr_array_add (request->color_images, g_strdup (item->given_color));
  return oip_push_plan_new (request, oip_context_get_push_settings (run->context)->validate_urls);
}

static gboolean
nothing_to_change (OipBulkItem *item)
{
  return (item->local_files == NULL || item->local_files[0] == NULL) &&
         g_strv_equal ((const char * const *) item->sources, (const char * const *) item->before) &&
         g_strcmp0 (item->color_source, item->before_color) == 0;
}

/* The seed's checks, per product: the 30-image limit (a notice), invalid
 * and duplicate addresses (the product is not sent). */
static void
plan_item (OipBulkRun  *run,
           OipBulkItem *item)
{
  g_autoptr(OipPushPlan) plan = push_plan (run, item);
  g_autoptr(GStrvBuilder) sources = g_strv_builder_new ();
  g_auto(GStrv) images = NULL;
  const char *first_problem = NULL;

  for (guint i = 0; i < plan->images->len; i++)
    g_strv_builder_add (sources, g_ptr_array_index (plan->images, i));
  images = g_strv_builder_end (sources);
  oip_bulk_item_set_sources (item, (const char * const *) images, plan->color_image, NULL, NULL);
  for (guint i = 0; i < plan->notices->len; i++)
    {
      g_autofree char *text = oip_notice_describe (g_ptr_array_index (plan->notices, i));

      oip_bulk_item_add_problem (item, text);
    }
  for (guint i = 0; i < plan->errors->len; i++)
    {
      const OipValidationIssue *issue = g_ptr_array_index (plan->errors, i);
      /* Translators: an image address, then why it cannot be sent */
      g_autofree char *text = g_strdup_printf (_("%s: %s"), issue->url, _(oip_issue_reason (issue->kind)));

      oip_bulk_item_add_problem (item, text);
      if (first_problem == NULL)
        first_problem = g_ptr_array_index (item->problems, item->problems->len - 1);
    }
  if (first_problem != NULL)
    oip_bulk_item_set_state (item, OIP_BULK_ITEM_INVALID, "validation", first_problem, NULL);
  else if (nothing_to_change (item))
    oip_bulk_item_set_state (item, OIP_BULK_ITEM_SKIPPED, NULL,
                             _("Ozon already has exactly these images: nothing to change"), NULL);
  else
    oip_bulk_item_set_state (item, OIP_BULK_ITEM_PLANNED, NULL, NULL, NULL);
}

static void
match_item (Plan        *plan,
            OipBulkItem *item,
            GHashTable  *seen)
{
  OipProduct *product = g_hash_table_lookup (plan->found[item->key], item->identifier);
  OipBulkItem *first;

  if (product == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Ozon has no product “%s”"), item->identifier);

      oip_bulk_item_set_state (item, OIP_BULK_ITEM_NOT_FOUND, "product_not_found", text, NULL);
      return;
    }
  oip_bulk_item_set_product (item, product);
  first = g_hash_table_lookup (seen, &item->product_id);
  if (first != NULL)
    {
      /* Two pushes of one product in one run: the second would undo the first. */
      g_autofree char *text = g_strdup_printf (_("The same product is already in the list (%s)"),
                                               first->location ? first->location : first->identifier);

      oip_bulk_item_add_problem (item, text);
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_INVALID, "duplicate_product", text, NULL);
      return;
    }
  g_hash_table_insert (seen, &item->product_id, item);
  plan_item (plan->run, item);
}

static void
lookups_done (Plan *plan)
{
  OipBulkRun *run = plan->run;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  if (plan->error != NULL)
    {
      finish (plan, g_steal_pointer (&plan->error));
      return;
    }
  if (run->loaded)
    {
      count_totals (run, NULL);
      finish (plan, NULL);
      return;
    }
  for (guint i = 0; i < oip_bulk_run_n_items (run); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (run, i);

      /* An undo's product whose record lacks its images stays as it is. */
      if (!(item->state == OIP_BULK_ITEM_INVALID && g_strcmp0 (item->error_code, "no_images") == 0))
        match_item (plan, item, seen);
    }
  size_files (plan);
}

static void
operation_done (Plan   *plan,
                GError *error)
{
  if (error != NULL && plan->error == NULL)
    plan->error = error;
  else
    g_clear_error (&error);
  if (--plan->pending == 0)
    lookups_done (plan);
}

/* Ozon */

static char *
product_key (OipProduct    *product,
             OipProductKey  key)
{
  switch (key)
    {
    case OIP_PRODUCT_KEY_PRODUCT_ID:
      return g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_product_id (product));
    case OIP_PRODUCT_KEY_SKU:
      return g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_sku (product));
    case OIP_PRODUCT_KEY_OFFER_ID:
    default:
      return g_strdup (oip_product_get_offer_id (product));
    }
}

typedef struct
{
  Plan          *plan;
  OipProductKey  key;
} Lookup;

static void
on_products (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree Lookup *lookup = user_data;
  Plan *plan = lookup->plan;
  GError *error = NULL;
  g_autoptr(GPtrArray) products = oip_ozon_client_get_products_finish (OIP_OZON_CLIENT (source), result, &error);

  for (guint i = 0; products != NULL && i < products->len; i++)
    {
      OipProduct *product = g_ptr_array_index (products, i);

      g_hash_table_insert (plan->found[lookup->key], product_key (product, lookup->key), g_object_ref (product));
    }
  operation_done (plan, error);
}

static void
on_limits (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Plan *plan = user_data;
  GError *error = NULL;
  g_autofree OipOzonLimits *limits = oip_ozon_client_get_limits_finish (OIP_OZON_CLIENT (source), result, &error);

  if (limits != NULL)
    oip_bulk_run_set_limits (plan->run, limits);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Not knowing the quota does not stop a run: Ozon still refuses
       * what is over it, and the run pauses then. */
      g_autofree char *text = g_strdup_printf (_("Ozon’s daily limit could not be read: %s"), error->message);

      oip_bulk_run_add_warning (plan->run, text);
      g_clear_error (&error);
    }
  operation_done (plan, error);
}

static void
look_up (Plan          *plan,
         OipProductKey  key,
         GPtrArray     *values)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->plan = plan;
  lookup->key = key;
  plan->pending++;
  oip_ozon_client_get_products_async (plan->run->client, key, values, g_task_get_cancellable (plan->run->task),
                                      on_products, lookup);
}

/* One lookup per kind of identifier, as Ozon asks: each pages itself by
 * OIP_OZON_MAX_IDS. */
static void
start_lookups (Plan *plan)
{
  OipBulkRun *run = plan->run;
  GPtrArray *values[3] = { NULL };
  g_autoptr(GHashTable) asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint key = 0; key < G_N_ELEMENTS (values); key++)
    values[key] = g_ptr_array_new ();
  for (guint i = 0; i < oip_bulk_run_n_items (run); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (run, i);
      g_autofree char *tag = g_strdup_printf ("%u:%s", item->key, item->identifier);

      if (item->state == OIP_BULK_ITEM_INVALID && g_strcmp0 (item->error_code, "no_images") == 0)
        continue;
      if (!g_hash_table_contains (asked, tag))
        {
          g_hash_table_add (asked, g_steal_pointer (&tag));
          g_ptr_array_add (values[item->key], item->identifier);
        }
    }
  for (guint key = 0; key < G_N_ELEMENTS (values); key++)
    {
      if (values[key]->len > 0)
        look_up (plan, key, values[key]);
      g_ptr_array_unref (values[key]);
    }
}

static void
start_calls (Plan *plan)
{
  OipBulkRun *run = plan->run;

  /* One for this function, so nothing finishes the plan while the calls
   * are still being started. */
  plan->pending = 2;
  oip_ozon_client_get_limits_async (run->client, g_task_get_cancellable (run->task), on_limits, plan);
  if (!run->loaded)
    start_lookups (plan);
  operation_done (plan, NULL);
}

/* A run read back (to go on with it or undo it) belongs to the account it
 * was made with: its products are that seller's. */
static gboolean
same_account (OipBulkRun  *run,
              GError     **error)
{
  const char *now = oip_ozon_client_get_client_id (run->client);

  if (run->recorded_client == NULL || g_strcmp0 (run->recorded_client, now) == 0)
    return TRUE;
  g_set_error (error, OIP_ERROR, OIP_ERROR_BULK_RUN_OTHER_ACCOUNT,
               /* Translators: %s is a Client ID (digits) */
               _("This bulk run was made with the account of Client ID %s; switch to that account to go on with it"),
               run->recorded_client);
  return FALSE;
}

static void
on_client (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Plan *plan = user_data;
  g_autoptr(GError) error = NULL;

  plan->run->client = oip_context_create_client_finish (OIP_CONTEXT (source), result, &error);
  if (plan->run->client == NULL)
    finish (plan, g_steal_pointer (&error));
  else if (!same_account (plan->run, &error))
    finish (plan, g_steal_pointer (&error));
  else
    start_calls (plan);
}

/**
 * oip_bulk_plan_start:
 *
 * Plans the run for oip_bulk_run_plan_async(); completes its task.
 */
void
oip_bulk_plan_start (OipBulkRun *self)
{
  Plan *plan = g_new0 (Plan, 1);

  plan->run = g_object_ref (self);
  for (guint i = 0; i < G_N_ELEMENTS (plan->found); i++)
    plan->found[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  oip_bulk_run_set_stage (self, OIP_BULK_STAGE_PLANNING);
  if (self->client != NULL)
    start_calls (plan);
  else
    oip_context_create_client_async (self->context, g_task_get_cancellable (self->task), on_client, plan);
}
